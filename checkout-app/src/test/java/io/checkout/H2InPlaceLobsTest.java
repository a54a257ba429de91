package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default keeps serialized events, sagas, tokens and scheduled deadlines in their rows: Axon's tables
 * declare them as BLOBs, and H2 would otherwise move every value over 256 bytes into its LOB maps (a checkout's start
 * event, every saga write, every deadline), writing and later deleting several entries in four more B-trees each
 * time (docs/design.md #32).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class H2InPlaceLobsTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "in-place-lobs-test");
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;

    @Test
    void aCheckoutLeavesNothingInH2sLobStorage() throws Exception {
        Api api = new Api(port);
        String first = api.createProduct("Kettle", "24.50", 100);
        String second = api.createProduct("Teapot", "18.00", 100);
        String third = api.createProduct("Mug", "6.25", 100);

        assertThat(api.awaitEnded(api.checkout("carol", first + ":1", second + ":2", third + ":4"))
                .path("status").asText()).isEqualTo("COMPLETED");

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Integer largestPayload = jdbc.queryForObject("SELECT MAX(OCTET_LENGTH(payload)) FROM domain_event_entry",
                Integer.class);
        assertThat(largestPayload).as("an event that H2's default would have stored as a LOB").isGreaterThan(256);
        assertThat(jdbc.queryForObject("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'MAX_LENGTH_INPLACE_LOB'", String.class)).isEqualTo("4096");
        MVStore store = H2Stores.fileStore(dataSource);
        assertThat(store.hasMap("lobMap")).isTrue();
        assertThat(store.openMap("lobMap").sizeAsLong()).as("LOBs kept apart from their rows").isZero();
    }
}
