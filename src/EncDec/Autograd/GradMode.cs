namespace EncDec.Autograd;

/// <summary>
/// Whether operations record the graph for backward on this thread. Inside
/// <c>using (GradMode.Disable())</c> nothing is recorded, no tensor requires grad and no gradient
/// memory is allocated: the mode for inference.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int t_disabledDepth;

    /// <summary>True unless a <see cref="Disable"/> scope is open on this thread.</summary>
    public static bool IsEnabled => t_disabledDepth == 0;

    /// <summary>Stops recording until the returned scope is disposed.</summary>
    public static NoGradScope Disable()
    {
        t_disabledDepth++;
        return new NoGradScope(true);
    }

    /// <summary>Re-enables recording when disposed.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        private readonly bool _active;
        internal NoGradScope(bool active) => _active = active;
        /// <inheritdoc />
        public void Dispose()
        {
            if (_active) t_disabledDepth--;
        }
    }
}
