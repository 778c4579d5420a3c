/**
 * What a bank evaluates the joint model on: its feature rows with labels, the model's score of each
 * row, and the account holder's protected attributes, which never leave the bank.
 */
package io.cleanroom.eval.rows;
