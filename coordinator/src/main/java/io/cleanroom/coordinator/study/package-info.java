/**
 * Running a study through its lifecycle: opening it, collecting signed joins, driving its phases,
 * reporting, releasing outputs, collecting destruction receipts or aborting, all recorded in the
 * study's protocol log; and reading a study's history back from its log.
 */
package io.cleanroom.coordinator.study;
