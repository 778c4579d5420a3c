/**
 * How a party of a study exchanges batches of ring elements with the other parties.
 *
 * <p>Every protocol in this project is written against {@link
 * io.cleanroom.protocol.transport.Transport} and runs unchanged over {@link
 * io.cleanroom.protocol.transport.InMemoryNetwork} (unit tests) and over the gRPC transport of the
 * bank node (production). Both deliver incoming batches through an {@link
 * io.cleanroom.protocol.transport.Inbox}, which is where every header is checked: the study id, the
 * sender's membership (taken from its certificate by the caller, never from the message), the step
 * and the sequence number. A batch that does not fit is refused and the study stops.
 */
package io.cleanroom.protocol.transport;
