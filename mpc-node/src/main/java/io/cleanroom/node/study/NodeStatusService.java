package io.cleanroom.node.study;

import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.wire.v1.GetStudyRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesResponse;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * A bank node's {@code cleanroom.v1.StudyStatus} service: the studies this node joined, as its
 * {@link StudyRegistry} records them, for monitoring.
 *
 * <p>Served on the node's mutual-TLS port, which accepts operator and node certificates (the
 * coordinator never dials a node), and must be installed behind {@link PeerIdentityInterceptor}. An
 * operator sees every study the node knows; another node sees only the studies both take part in,
 * and the others are {@code NOT_FOUND} to it just as unknown ones are. A status carries what the
 * participants already receive (see status.proto), never data, shares or totals.
 */
public final class NodeStatusService extends StudyStatusGrpc.StudyStatusImplBase {

  private final String party;
  private final StudyRegistry registry;

  /**
   * @param party this node's certificate name
   */
  public NodeStatusService(String party, StudyRegistry registry) {
    this.party = party;
    this.registry = registry;
  }

  @Override
  public void list(ListStudiesRequest request, StreamObserver<ListStudiesResponse> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    ListStudiesResponse.Builder out = ListStudiesResponse.newBuilder().setParty(party);
    for (StudyStatusReply study : registry.studies()) {
      if (visible(caller, study) && !(request.getRunningOnly() && ended(study))) {
        out.addStudies(study);
      }
    }
    responses.onNext(out.build());
    responses.onCompleted();
  }

  @Override
  public void get(GetStudyRequest request, StreamObserver<StudyStatusReply> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    if (request.getStudyId().isEmpty()) {
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription("the request names no study").asException());
      return;
    }
    Optional<StudyStatusReply> study =
        registry.study(request.getStudyId()).filter(s -> visible(caller, s));
    if (study.isEmpty()) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("no study " + request.getStudyId() + " at " + party)
              .asException());
      return;
    }
    responses.onNext(study.get());
    responses.onCompleted();
  }

  /** Operators see every study, other nodes only those they take part in. */
  private static boolean visible(PartyIdentity caller, StudyStatusReply study) {
    return switch (caller.role()) {
      case OPERATOR -> true;
      case NODE -> study.getParticipantsList().contains(caller.name());
      case COORDINATOR -> false;
    };
  }

  private static boolean ended(StudyStatusReply study) {
    return study.getState() == StudyStatusReply.State.DESTROYED
        || study.getState() == StudyStatusReply.State.ABORTED;
  }
}
