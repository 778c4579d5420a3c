/**
 * Double-blind linkage of accounts across banks.
 *
 * <p>The banks derive a consortium key among themselves ({@link
 * io.cleanroom.protocol.linkage.ConsortiumKey}); each keyed-hashes its normalised identifiers and
 * cross-bank account numbers with it ({@link io.cleanroom.protocol.linkage.LinkageHasher}); the
 * coordinator hashes every value again with its own key and matches the doubly-blinded values
 * ({@link io.cleanroom.protocol.linkage.LinkageMatcher}), returning to each bank only the joint
 * graph over fresh random handles. The coordinator cannot invert or dictionary-attack the values
 * (it lacks the consortium key); a bank never sees another bank's values (they go to the
 * coordinator only) and receives no value back.
 */
package io.cleanroom.protocol.linkage;
