/** Running a configured gRPC server (a node or the coordinator) as a foreground process. */
package io.cleanroom.protocol.service;
