/**
 * Bayesian optimization for per-layer hyperparameters (CLIP-Q's (p, b) per layer, Tung &amp; Mori 2018 §3.2): a
 * Gaussian-process surrogate ({@link io.lowbit.train.search.GaussianProcess}, Matérn 5/2 kernel, length scale by
 * marginal likelihood), expected improvement ({@link io.lowbit.train.search.ExpectedImprovement}) and an ask/tell
 * optimizer over a box of continuous and integer dimensions whose state can be saved and resumed
 * ({@link io.lowbit.train.search.BayesianOptimizer}). Plain Java: the problems are tens of points in a few
 * dimensions, where a Cholesky factorization of a 100×100 matrix takes microseconds.
 */
package io.lowbit.train.search;
