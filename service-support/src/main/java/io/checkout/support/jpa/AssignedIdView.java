package io.checkout.support.jpa;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * A read model whose id the application assigns (an order's, a checkout's). Spring Data saves an entity whose id is
 * set by merging it, and Hibernate's merge selects the row first to tell an insert from an update: for a view the
 * projection has just made, a select that can find nothing. A view made with {@code new} says it is new, so its
 * save is a persist, one insert. Once loaded or persisted it is not new any more, and a save merges it as before.
 * The projections that make these views make each one once, on the event that creates it (a duplicate would fail
 * the command's transaction on the primary key, not overwrite the row).
 *
 * @param <ID> the type of the view's id
 */
@MappedSuperclass
public abstract class AssignedIdView<ID> implements Persistable<ID> {

    @Transient
    private boolean isNew = true;

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void loadedOrPersisted() {
        isNew = false;
    }
}
