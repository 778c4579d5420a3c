/**
 * What a node keeps on disk for its studies: the encrypted per-study session store, and the work
 * folder that holds the session stores, the outputs waiting for their release and the released
 * outputs.
 */
package io.cleanroom.node.store;
