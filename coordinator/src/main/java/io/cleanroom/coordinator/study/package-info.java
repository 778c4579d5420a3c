/**
 * Running a study: opening it, collecting signed joins, driving its phases, closing or aborting.
 */
package io.cleanroom.coordinator.study;
