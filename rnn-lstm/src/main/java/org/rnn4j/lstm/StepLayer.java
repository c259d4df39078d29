package org.rnn4j.lstm;

import org.rnn4j.simd.StepWeights;

/**
 * One layer of a {@link CompiledModel}: its cell and its weights {@code [W_x; W_h]} and b packed
 * for steps.
 *
 * @param cell      the layer's cell (its {@link Cell#activate} is the step's epilogue)
 * @param inputSize d_l, the width of the layer's input
 * @param hidden    n
 * @param gateWidth G·n
 * @param weights   the packed weights
 */
record StepLayer(Cell cell, int inputSize, int hidden, int gateWidth, StepWeights weights) {}
