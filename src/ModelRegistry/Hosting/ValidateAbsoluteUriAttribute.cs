using System;
using System.Management.Automation;

namespace ModelRegistry.Hosting
{
    /// <summary>Accepts only an absolute http(s) URL, with a message that says so.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateAbsoluteUriAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var text = arguments?.ToString();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new ValidationMetadataException($"'{text}' is not an absolute http:// or https:// URL, such as http://127.0.0.1:5000.");
        }
    }
}
