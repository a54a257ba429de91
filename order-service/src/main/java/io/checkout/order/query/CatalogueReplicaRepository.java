package io.checkout.order.query;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CatalogueReplicaRepository extends JpaRepository<CatalogueEntry, String> {
}
