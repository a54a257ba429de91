package io.checkout.support.fault;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param rules faults active from start-up (none by default), e.g. {@code checkout.faults.rules[0].point=
 *              ReserveStockCommand}, {@code checkout.faults.rules[0].action=FAIL},
 *              {@code checkout.faults.rules[0].probability=0.1}; more can be added at run time on /admin/faults
 */
@ConfigurationProperties("checkout.faults")
record FaultProperties(@DefaultValue List<FaultRule> rules) {
}
