package io.lowbit.core.model;

/**
 * The sliding window of a convolution or pool: kernel {@code kH×kW}, stride {@code sH, sW}, zero-padding
 * {@code top, left, bottom, right}. Output size {@code ⌊(H + pT + pB − kH)/sH⌋ + 1} (PyTorch, {@code ceil_mode =
 * false}), so no window overhangs the padding ({@code docs/integer-semantics.md} §4, §11, §12).
 */
public record Window(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
        int padRight) {

    /** Largest kernel, stride or padding: far above any CIFAR layer, and keeps all index arithmetic in int. */
    public static final int MAX_EXTENT = 4096;

    public Window {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("kernel and stride must be ≥ 1, got kernel " + kernelH + "×" + kernelW
                    + ", stride " + strideH + "×" + strideW);
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("padding must be ≥ 0, got " + padTop + ", " + padLeft + ", "
                    + padBottom + ", " + padRight);
        }
        for (int v : new int[] {kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight}) {
            if (v > MAX_EXTENT) {
                throw new IllegalArgumentException("window extent " + v + " exceeds " + MAX_EXTENT);
            }
        }
    }

    /** {@code k×k}, stride {@code s}, padding {@code p} on every side. */
    public static Window square(int kernel, int stride, int padding) {
        return new Window(kernel, kernel, stride, stride, padding, padding, padding, padding);
    }

    /** The whole {@code h×w} map in one window (global pooling). */
    public static Window global(int height, int width) {
        return new Window(height, width, height, width, 0, 0, 0, 0);
    }

    public int kernelArea() {
        return kernelH * kernelW;
    }

    public int outputHeight(int inputHeight) {
        return outputSize(inputHeight, kernelH, strideH, padTop, padBottom, "height");
    }

    public int outputWidth(int inputWidth) {
        return outputSize(inputWidth, kernelW, strideW, padLeft, padRight, "width");
    }

    /** Whether this window covers the whole {@code h×w} map with one output position and no padding. */
    public boolean isGlobalFor(int height, int width) {
        return kernelH == height && kernelW == width && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;
    }

    /** Pools: every padding smaller than the kernel, so every window holds at least one real position (§11). */
    void requirePoolPadding() {
        if (padTop >= kernelH || padBottom >= kernelH || padLeft >= kernelW || padRight >= kernelW) {
            throw new IllegalArgumentException("pool padding (" + padTop + ", " + padLeft + ", " + padBottom + ", "
                    + padRight + ") must be smaller than the kernel " + kernelH + "×" + kernelW
                    + " so that no window lies entirely in the padding");
        }
    }

    private static int outputSize(int in, int kernel, int stride, int before, int after, String axis) {
        long span = (long) in + before + after - kernel;
        if (span < 0) {
            throw new IllegalArgumentException("kernel " + axis + " " + kernel + " exceeds the padded input " + axis + " "
                    + (in + before + after));
        }
        return (int) (span / stride + 1);
    }

    @Override
    public String toString() {
        return "k" + kernelH + "×" + kernelW + " s" + strideH + "×" + strideW + " p(" + padTop + "," + padLeft + ","
                + padBottom + "," + padRight + ")";
    }
}
