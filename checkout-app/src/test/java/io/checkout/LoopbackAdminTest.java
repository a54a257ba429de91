package io.checkout;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** With no admin password set, admin actions are open to loopback requests only. */
@SpringBootTest
@AutoConfigureMockMvc
class LoopbackAdminTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-loopback-test");
        registry.add("checkout.admin.password", () -> "");
    }

    @Autowired
    MockMvc mvc;

    @Test
    void refusesAdminActionsFromAnotherHost() throws Exception {
        mvc.perform(post("/checkouts/some-id/actions/retry").with(request -> {
                    request.setRemoteAddr("192.0.2.10");
                    return request;
                }))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(
                        "Without checkout.admin.password set, this action is allowed from loopback only"));
    }

    @Test
    void allowsAdminActionsFromLoopback() throws Exception {
        // Through security to the controller, which knows no such checkout.
        mvc.perform(post("/checkouts/some-id/actions/retry").with(request -> {
                    request.setRemoteAddr("127.0.0.1");
                    return request;
                }))
                .andExpect(status().isNotFound());
    }

    @Test
    void leavesTheBusinessApiOpenToEveryHost() throws Exception {
        mvc.perform(post("/checkouts").contentType(MediaType.APPLICATION_JSON).content("{}").with(request -> {
                    request.setRemoteAddr("192.0.2.10");
                    return request;
                }))
                .andExpect(status().isBadRequest());
    }
}
