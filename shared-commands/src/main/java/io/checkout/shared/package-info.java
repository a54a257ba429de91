/**
 * The contract between the services: commands, events and typed ids, as records, one sub-package per owner.
 * Commands are imperative + {@code Command}, events past tense + {@code Event}; failures are events too.
 */
package io.checkout.shared;
