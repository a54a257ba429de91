package io.checkout.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command:
 * <pre>
 * audit --url http://localhost:8080 [--orders-url URL] [--products-url URL] [--max-running PT2M]
 * chaos --url http://localhost:8080 [--duration PT5M] [--concurrency 8] [--rate 0] [--fault-rate 0.1] [--seed 42]
 *       [--products 20] [--stock 5000] [--settle PT3M] [--admin admin:password]
 * bench --start checkout-app/target/checkout-app-VERSION.jar [--side-by-side] [--jvm-options "-XX:..."] [--rate 0]
 *       [--clients 8] [--warmup auto|PT2M] [--max-warmup PT10M] [--measure PT60S] [--drain PT2M] [--out target/bench]
 *       [--profile itimer|cpu|wall]
 * bench --url http://localhost:8080 [--app-pid PID [--profile itimer|cpu|wall]] ...
 * postgres [--port 5432] [--data-dir data/postgres]
 * </pre>
 * Exits 0 when every invariant holds, 1 when one does not, 2 on bad arguments.
 */
public final class Cli {

    private Cli() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("audit", "chaos", "bench", "postgres").contains(args[0])) {
            usage("say audit, chaos, bench or postgres");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("options come as --name value: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args[0].equals("postgres")) {
            DevPostgres.runUntilStopped(options);
            return;
        }
        SystemClient system = SystemClient.fromOptions(options);
        if (args[0].equals("bench")) {
            System.exit(BenchCommand.run(options));
        }
        List<Violation> violations;
        if (args[0].equals("audit")) {
            Auditor auditor = new Auditor(new Auditor.Settings(
                    Duration.parse(options.getOrDefault("max-running", "PT2M"))));
            Snapshot snapshot = Snapshot.read(system);
            violations = auditor.audit(snapshot, List.of());
            System.out.printf("audited %d checkouts, %d orders, %d products: %d violations%n",
                    snapshot.checkouts().size(), snapshot.orders().size(), snapshot.products().size(),
                    violations.size());
            violations.forEach(v -> System.out.println("  " + v));
        } else {
            ChaosRun.Settings settings = new ChaosRun.Settings(
                    Duration.parse(options.getOrDefault("duration", "PT5M")),
                    Integer.parseInt(options.getOrDefault("concurrency", "8")),
                    Double.parseDouble(options.getOrDefault("rate", "0")),
                    Double.parseDouble(options.getOrDefault("fault-rate", "0.1")),
                    Long.parseLong(options.getOrDefault("seed", "42")),
                    Integer.parseInt(options.getOrDefault("products", "20")),
                    Integer.parseInt(options.getOrDefault("stock", "5000")),
                    Duration.parse(options.getOrDefault("settle", "PT3M")));
            ChaosRun.Report report = new ChaosRun(system, settings, System.out).run();
            report.print(System.out);
            violations = report.violations();
        }
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: audit --url URL [--orders-url URL] [--products-url URL] [--max-running PT2M]");
        System.err.println("       bench (--url URL [--app-pid PID] | --start APP.jar [--side-by-side] [--jvm-options OPTS])"
                + " [--rate 0] [--clients 8]"
                + " [--warmup auto|PT2M] [--max-warmup PT10M] [--measure PT60S] [--out target/bench]"
                + " [--profile itimer|cpu|wall]");
        System.err.println("       chaos --url URL [--duration PT5M] [--concurrency 8] [--rate 0] [--fault-rate 0.1]"
                + " [--seed 42] [--products 20] [--stock 5000] [--settle PT3M] [--admin user:password]");
        System.err.println("       postgres [--port 5432] [--data-dir data/postgres]");
        System.exit(2);
    }
}
