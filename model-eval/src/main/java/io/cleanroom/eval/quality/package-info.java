/**
 * Data-quality counts per bank (article 7): rows, missing and out-of-range values per feature, and
 * missing protected attributes. Unlike the other evaluators' vectors these counts are reported per
 * bank, so that a bank with bad data can be named; they say nothing about any account.
 */
package io.cleanroom.eval.quality;
