package io.cleanroom.protocol.status;

import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.wire.v1.GetStudyRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesResponse;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Collection;
import java.util.Optional;

/**
 * The request handling shared by every party's {@code cleanroom.v1.StudyStatus} service: who may
 * see which study, the {@code running_only} filter, request validation and the replies. A subclass
 * only says where its studies come from and how one becomes a {@link StudyStatusReply}.
 *
 * <p>Must be installed behind {@link PeerIdentityInterceptor}. A caller with the operator role sees
 * every study; a caller with the node role sees only the studies it is a participant of, and the
 * others are {@code NOT_FOUND} to it just as unknown ones are, so that it does not even learn that
 * studies without it exist; a coordinator caller sees none. What a caller learns is what each
 * participant already receives (see status.proto), never data, shares or totals.
 *
 * @param <S> the serving party's own record of a study
 */
public abstract class StudyStatusServiceBase<S> extends StudyStatusGrpc.StudyStatusImplBase {

  private final String party;

  /**
   * @param party the serving party's certificate name, returned in every list and named in {@code
   *     NOT_FOUND} errors
   */
  protected StudyStatusServiceBase(String party) {
    this.party = party;
  }

  /** Every study this party knows, in the order they are listed. */
  protected abstract Collection<S> studies();

  /** The study with this id, if this party knows it. */
  protected abstract Optional<S> study(String studyId);

  /** The certificate names of the study's participants. */
  protected abstract Collection<String> participants(S study);

  /** Whether the study has ended (destroyed or aborted). */
  protected abstract boolean ended(S study);

  /** The wire form of the study. */
  protected abstract StudyStatusReply toReply(S study);

  @Override
  public final void list(
      ListStudiesRequest request, StreamObserver<ListStudiesResponse> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    ListStudiesResponse.Builder out = ListStudiesResponse.newBuilder().setParty(party);
    for (S study : studies()) {
      if (visible(caller, participants(study)) && !(request.getRunningOnly() && ended(study))) {
        out.addStudies(toReply(study));
      }
    }
    responses.onNext(out.build());
    responses.onCompleted();
  }

  @Override
  public final void get(GetStudyRequest request, StreamObserver<StudyStatusReply> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    if (request.getStudyId().isEmpty()) {
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription("the request names no study").asException());
      return;
    }
    Optional<S> study = study(request.getStudyId()).filter(s -> visible(caller, participants(s)));
    if (study.isEmpty()) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("no study " + request.getStudyId() + " at " + party)
              .asException());
      return;
    }
    responses.onNext(toReply(study.get()));
    responses.onCompleted();
  }

  /**
   * Whether {@code caller} may see a study with these participants: operators see every study,
   * nodes only those they take part in, coordinators none.
   */
  public static boolean visible(PartyIdentity caller, Collection<String> participants) {
    return switch (caller.role()) {
      case OPERATOR -> true;
      case NODE -> participants.contains(caller.name());
      case COORDINATOR -> false;
    };
  }
}
