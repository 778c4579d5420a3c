/**
 * How a study evaluates its joint model: the evaluators, their parameters and their order, derived
 * from the study plan by the nodes and the coordinator alike.
 */
package io.cleanroom.eval.study;
