// Tests share libtorch's global state (the default RNG, thread count), and several assert bitwise reproducibility,
// so test classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
