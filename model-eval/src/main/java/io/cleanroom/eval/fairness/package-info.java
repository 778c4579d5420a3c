/**
 * Group fairness of the joint model's alerts (article 6): per protected attribute and group, the
 * alert rate, TPR, FPR and FDR, and per attribute the demographic parity difference, disparate
 * impact, FPR and FDR ratios and equalized-odds difference with confidence intervals; and the proxy
 * check, the correlation of each model input with each protected group. Every bank counts its own
 * rows; only the cross-bank totals are opened, and groups below the cell-size floor are suppressed.
 */
package io.cleanroom.eval.fairness;
