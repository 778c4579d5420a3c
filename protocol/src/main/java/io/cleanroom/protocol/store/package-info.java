/**
 * What bank nodes report about their per-study storage.
 *
 * <p>A node keeps everything it writes for a study in an encrypted per-study folder whose key
 * exists only in the node's memory. When the study ends the node destroys the folder and the key
 * and signs a {@link io.cleanroom.protocol.store.DestructionReceipt} with its certificate key:
 * which study, how many files and bytes, a digest of the deleted listing, and when. This package
 * holds only the receipt and its canonical encoding; it does no file IO.
 */
package io.cleanroom.protocol.store;
