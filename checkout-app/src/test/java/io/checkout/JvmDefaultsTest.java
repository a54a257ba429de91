package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The system properties the launcher sets before Spring starts, unless the command line set them. */
class JvmDefaultsTest {

    private Properties saved;

    @BeforeEach
    void save() {
        saved = (Properties) System.getProperties().clone();
    }

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    @Test
    void h2sValueCacheIsOffAndTheUpdateCheckTooByDefault() {
        System.clearProperty("h2.objectCache");
        System.clearProperty("axoniq.update-checker.disabled");

        CheckoutApplication.jvmDefaults();

        assertThat(System.getProperty("h2.objectCache")).isEqualTo("false");
        assertThat(System.getProperty("axoniq.update-checker.disabled")).isEqualTo("true");
    }

    @Test
    void aValueGivenOnTheCommandLineWins() {
        System.setProperty("h2.objectCache", "true");
        System.setProperty("axoniq.update-checker.disabled", "false");

        CheckoutApplication.jvmDefaults();

        assertThat(System.getProperty("h2.objectCache")).isEqualTo("true");
        assertThat(System.getProperty("axoniq.update-checker.disabled")).isEqualTo("false");
    }
}
