namespace ModelRegistry.Hosting
{
    /// <summary>
    /// A name or ARN piped as a string. Only text converts to it (by its constructor), so a hidden parameter of this type
    /// binds strings piped by value and never an object that PowerShell would otherwise turn into a string by its
    /// ToString(): a Deployment piped into Remove-MRModelGroup must not name a group after its endpoint.
    /// </summary>
    public sealed class PipedText
    {
        /// <summary>The text as piped.</summary>
        public PipedText(string text) => Text = text;

        public string Text { get; }
        public override string ToString() => Text;
    }
}
