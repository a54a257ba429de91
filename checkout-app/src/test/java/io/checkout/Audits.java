package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkout.audit.Auditor;
import io.checkout.audit.Snapshot;
import io.checkout.audit.SystemClient;
import io.checkout.audit.Violation;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/** Ends a scenario the way users end theirs: the auditor reads the system's APIs and finds nothing wrong. */
final class Audits {

    private Audits() {
    }

    static SystemClient client(int port, String admin) {
        return new SystemClient(URI.create("http://localhost:" + port), admin);
    }

    /** Every checkout must have ended, and every invariant must hold. */
    static void assertInvariantsHold(int port, Collection<String> accepted) {
        assertInvariantsHold(client(port, null), accepted);
    }

    static void assertInvariantsHold(SystemClient system, Collection<String> accepted) {
        List<Violation> violations = new Auditor(Auditor.Settings.strict()).audit(Snapshot.read(system), accepted);
        assertThat(violations).as("invariant violations").isEmpty();
    }
}
