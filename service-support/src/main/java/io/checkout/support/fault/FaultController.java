package io.checkout.support.fault;

import io.checkout.support.web.NotFoundException;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Fault rules at run time (admin only, as all of /admin): list, add, remove one, clear all. */
@RestController
@RequestMapping("/admin/faults")
class FaultController {

    private final FaultInjector faults;

    FaultController(FaultInjector faults) {
        this.faults = faults;
    }

    record FaultResponse(String id, FaultRule rule, long calls, long fired) {
        static FaultResponse of(FaultInjector.Active active) {
            return new FaultResponse(active.id(), active.rule(), active.calls(), active.fired());
        }
    }

    @GetMapping
    List<FaultResponse> list() {
        return faults.rules().stream().map(FaultResponse::of).toList();
    }

    @PostMapping
    ResponseEntity<FaultResponse> add(@RequestBody FaultRule rule) {
        FaultInjector.Active active = faults.add(rule);
        return ResponseEntity.created(URI.create("/admin/faults/" + active.id())).body(FaultResponse.of(active));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> remove(@PathVariable String id) {
        if (!faults.remove(id)) {
            throw new NotFoundException("fault rule", id);
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping
    ResponseEntity<Void> clear() {
        faults.clear();
        return ResponseEntity.noContent().build();
    }
}
