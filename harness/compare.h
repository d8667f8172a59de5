/*
 * compare.h - `mmbench compare BASELINE CURRENT`: match configurations
 * across two result sets and decide, per configuration, whether CURRENT is a
 * regression.  A verdict needs both a significant Mann-Whitney test and a
 * Hodges-Lehmann change beyond the threshold: significance alone fires on
 * every steady machine offset, a threshold alone misses regressions in noise.
 */
#ifndef MMBENCH_COMPARE_H
#define MMBENCH_COMPARE_H

int compare_main(int argc, char **argv);

#endif
