package io.lowbit.train.data;

/** Which label of a record to use as the class. */
public enum LabelKind {
    /** The fine label: 10 classes for CIFAR-10, 100 for CIFAR-100. */
    FINE,
    /** CIFAR-100's 20 superclasses. CIFAR-10 has no coarse labels. */
    COARSE
}
