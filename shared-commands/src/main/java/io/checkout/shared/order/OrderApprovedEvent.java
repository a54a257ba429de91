package io.checkout.shared.order;

import java.math.BigDecimal;
import java.util.List;

public record OrderApprovedEvent(OrderId orderId, List<PricedLine> lines, BigDecimal total) {
}
