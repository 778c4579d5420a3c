/** What the parties of a study agree on: the plan, its digest, and the names of the tasks. */
package io.cleanroom.protocol.study;
