package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Clients sending one-unit checkouts of a product as fast as they are answered, for killing a process in the middle:
 * a client stops at its first refused request (its process is gone) or after its share.
 */
final class Burst {

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final ExecutorService clients;

    private Burst(Api api, String product, int clients, int checkoutsEach) {
        this.clients = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            this.clients.submit(() -> {
                for (int n = 0; n < checkoutsEach; n++) {
                    try {
                        Api.Response response = api.post("/checkouts", Api.checkoutBody("burst", product + ":1"));
                        if (response.status() == 202) {
                            accepted.add(response.body().path("id").asText());
                        }
                    } catch (RuntimeException e) {
                        return; // the process is gone
                    }
                }
            });
        }
    }

    static Burst start(Api api, String product, int clients, int checkoutsEach) {
        return new Burst(api, product, clients, checkoutsEach);
    }

    void awaitAccepted(int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= count);
    }

    /** Waits for every client to stop, and returns the checkouts that were accepted (answered 202). */
    Set<String> finish() throws InterruptedException {
        clients.shutdown();
        assertThat(clients.awaitTermination(2, TimeUnit.MINUTES)).as("the clients stopped").isTrue();
        return Set.copyOf(accepted);
    }
}
