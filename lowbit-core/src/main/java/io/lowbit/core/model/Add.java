package io.lowbit.core.model;

import io.lowbit.core.arith.ResidualAdd;
import java.util.List;
import java.util.Objects;

/**
 * Residual add of two equally shaped tensors ({@code docs/integer-semantics.md} §13):
 * {@code y = clamp(Z_out + round_r((A·(a − Z_a) + B·(b − Z_b)) / 2^s), lo, hi)}; ReLU after the add is
 * {@code lo = Z_out} (ResNet), none for MobileNetV2.
 *
 * @param add the arithmetic; {@code add.a()} is the type of input 0, {@code add.b()} of input 1
 */
public record Add(ResidualAdd add) implements Op {

    public Add {
        Objects.requireNonNull(add, "add");
    }

    @Override
    public String kind() {
        return "add";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public TensorInfo output(List<TensorInfo> inputs, List<Double> scales) {
        TensorInfo a = inputs.get(0);
        TensorInfo b = inputs.get(1);
        Rules.require(a.shape().equals(b.shape()), "inputs have shapes " + a.shape() + " and " + b.shape()
                + "; an add needs equal shapes (" + Rules.SPEC + "§13)");
        Rules.require(Rules.isActivationType(a.type()) && !a.hasPerChannelZeroPoints()
                && add.a().equals(a.quantizedType()), "input a has type " + a.type() + " z=" + a.zeroPoints()
                + ", the add expects " + add.a());
        Rules.require(Rules.isActivationType(b.type()) && !b.hasPerChannelZeroPoints()
                && add.b().equals(b.quantizedType()), "input b has type " + b.type() + " z=" + b.zeroPoints()
                + ", the add expects " + add.b());
        Rules.requireActivationType(add.output().type(), "the output");
        Rules.requireSingleScale(scales, "the output");
        return new TensorInfo(a.shape(), add.output().type(), List.of(add.output().zeroPoint()), scales);
    }
}
