/** The HTTP error model: every error is an RFC 9457 problem+json document, never a stack trace. */
package io.checkout.support.web;
