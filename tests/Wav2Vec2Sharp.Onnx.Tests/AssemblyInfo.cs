// Tests share libtorch's global state (thread count, RNG), so test classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
