/**
 * Structured logging over java.util.logging: the study, step and party a thread is working for
 * ({@link io.cleanroom.protocol.logging.LogContext}) and a formatter that writes them into every
 * line, as text or as JSON lines ({@link io.cleanroom.protocol.logging.LogFormat}).
 */
package io.cleanroom.protocol.logging;
