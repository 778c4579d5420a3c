/** Sending long server streams under gRPC flow control. */
package io.cleanroom.coordinator.stream;
