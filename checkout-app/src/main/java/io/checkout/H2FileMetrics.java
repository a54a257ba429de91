package io.checkout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 file's size and what share of it is live, as gauges, so that its growth can be watched where the rest is
 * ({@code /actuator/metrics}, Prometheus): H2 appends every change as a new chunk and frees a chunk only when nothing
 * in it is live, so the file holds more than the data ({@link H2Housekeeping} re-writes the live pages of sparse
 * chunks, at a bounded rate). Only an H2 file database has them.
 * <ul>
 *   <li>{@code checkout.h2.file.size}: the file, in bytes.</li>
 *   <li>{@code checkout.h2.file.chunks}: the share of the file its chunks take (the rest is free space to reuse),
 *       in percent.</li>
 *   <li>{@code checkout.h2.chunks.live}: the share of the chunks' bytes still live, in percent.</li>
 * </ul>
 */
class H2FileMetrics implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(H2FileMetrics.class);

    private final DataSource dataSource;

    H2FileMetrics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        MVStore store = H2Stores.fileStoreOr(dataSource, log, "H2 file metrics");
        if (store == null) {
            return;
        }
        gauge(registry, "checkout.h2.file.size", store, FileStore::size, "bytes", "The H2 file's size");
        gauge(registry, "checkout.h2.file.chunks", store, FileStore::getFillRate, "percent",
                "The share of the H2 file that its chunks take; the rest is free space");
        gauge(registry, "checkout.h2.chunks.live", store, FileStore::getChunksFillRate, "percent",
                "The share of the H2 chunks' bytes still live; the rest is freed when a chunk's last page dies");
    }

    private static void gauge(MeterRegistry registry, String name, MVStore store, ToDoubleFunction<FileStore<?>> value,
                              String unit, String description) {
        Gauge.builder(name, store, s -> s.isClosed() ? Double.NaN : value.applyAsDouble(s.getFileStore()))
                .baseUnit(unit).description(description).register(registry);
    }
}
