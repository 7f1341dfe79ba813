using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util.Internal;

// The hand-written SageMaker client (AWSSDK.SageMaker is not available). Everything here that touches
// Amazon.Runtime.Internal depends on the exact AWSSDK.Core pin; keep such usage inside this folder.
namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>Client configuration for the SageMaker API (awsJson1.1, signing name "sagemaker").</summary>
    internal sealed class SageMakerClientConfig : ClientConfig
    {
        private static readonly string UserAgentString =
            InternalSDKUtils.BuildUserAgentString("SageMaker", "ModelRegistry");

        public SageMakerClientConfig()
            : base(new DefaultConfigurationProvider(DefaultConfigurations()))
        {
            // ServiceId drives the SDK's own AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL / profile
            // endpoint_url lookup in ClientConfig.ServiceURL, so we do not re-implement it.
            ServiceId = "SageMaker";
            AuthenticationServiceName = "sagemaker";
            EndpointProvider = new SageMakerEndpointProvider();
        }

        // The SDK's defaults modes differ only in connect timeouts; one shape for all of them.
        private static IEnumerable<IDefaultConfiguration> DefaultConfigurations()
        {
            foreach (DefaultConfigurationMode mode in Enum.GetValues(typeof(DefaultConfigurationMode)))
            {
                var connect = mode == DefaultConfigurationMode.Mobile ? 30000 : mode == DefaultConfigurationMode.InRegion ? 1100 : 3100;
                yield return new DefaultConfiguration
                {
                    Name = mode,
                    RetryMode = RequestRetryMode.Standard,
                    S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
                    ConnectTimeout = TimeSpan.FromMilliseconds(connect),
                    TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connect),
                };
            }
        }

        public override string RegionEndpointServiceName => "api.sagemaker";
        public override string ServiceVersion => "2017-07-24";
        public override string UserAgent => UserAgentString;

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
            EndpointProvider.ResolveEndpoint(SageMakerEndpointResolver.Parameters(this));
    }

    /// <summary>ServiceURL when set, else the regional endpoint. (SageMaker's rules also cover FIPS and
    /// non-aws partitions; we only need the commercial and China partitions.)</summary>
    internal sealed class SageMakerEndpointProvider : IEndpointProvider
    {
        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            var url = parameters["Endpoint"] as string;
            if (!string.IsNullOrEmpty(url))
                return new Endpoint(url);
            var region = parameters["Region"] as string;
            if (string.IsNullOrEmpty(region))
                throw new AmazonClientException("No region for the SageMaker endpoint.");
            var suffix = region!.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
            return new Endpoint($"https://api.sagemaker.{region}.{suffix}");
        }
    }

    internal sealed class SageMakerEndpointResolver : BaseEndpointResolver
    {
        internal static EndpointParameters Parameters(ClientConfig config)
        {
            var p = new EndpointParameters();
            p["Region"] = config.RegionEndpoint?.SystemName ?? config.AuthenticationRegion;
            p["Endpoint"] = config.ServiceURL;
            return p;
        }

        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext) =>
            Parameters((ClientConfig)requestContext.ClientConfig);
    }

    /// <summary>Every SageMaker operation we call is SigV4-signed.</summary>
    internal sealed class SageMakerAuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) =>
            AuthSchemeOption.DEFAULT_SIGV4;
    }

    internal sealed class SageMakerServiceMetadata : IServiceMetadata
    {
        public string ServiceId => "SageMaker";
        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
    }

    /// <summary>One SageMaker call: the operation name and a writer for its JSON body.</summary>
    internal sealed class SageMakerCall : AmazonWebServiceRequest
    {
        public SageMakerCall(string operation, Action<Utf8JsonWriter>? writeBody)
        {
            Operation = operation;
            WriteBody = writeBody;
        }

        public string Operation { get; }
        public Action<Utf8JsonWriter>? WriteBody { get; }
        /// <summary>How many times the request went out (set by <see cref="AttemptCounter"/>).</summary>
        public int Attempts;
    }

    /// <summary>Counts each attempt of a call; it sits inside the SDK's retry handler.</summary>
    internal sealed class AttemptCounter : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Count(executionContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Count(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private static void Count(IExecutionContext context)
        {
            if (context.RequestContext.OriginalRequest is SageMakerCall call) Interlocked.Increment(ref call.Attempts);
        }
    }

    /// <summary>The JSON document of a successful reply (an empty object when the body is empty).</summary>
    internal sealed class SageMakerReply : AmazonWebServiceResponse
    {
        public JsonElement Body { get; set; }
    }

    internal sealed class SageMakerCallMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public static readonly SageMakerCallMarshaller Instance = new SageMakerCallMarshaller();

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var call = (SageMakerCall)input;
            IRequest request = new DefaultRequest(call, "SageMaker");
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Headers["X-Amz-Target"] = "SageMaker." + call.Operation;
            request.Headers["Content-Type"] = "application/x-amz-json-1.1";
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    call.WriteBody?.Invoke(writer);
                    writer.WriteEndObject();
                }
                request.Content = buffer.ToArray();
            }
            return request;
        }
    }

    internal sealed class SageMakerReplyUnmarshaller : JsonResponseUnmarshaller
    {
        public static readonly SageMakerReplyUnmarshaller Instance = new SageMakerReplyUnmarshaller();
        private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
        {
            // On success the body is not buffered: read the stream itself.
            var bytes = ReadAll(context.Stream);
            var body = IsBlank(bytes) ? EmptyObject : Parse(bytes);
            return new SageMakerReply { Body = body };
        }

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context,
            Exception innerException, HttpStatusCode statusCode)
        {
            var bytes = ReadAll(context.Stream);
            string? code = null, message = null;
            try
            {
                if (!IsBlank(bytes))
                {
                    var root = Parse(bytes);
                    if (root.ValueKind == JsonValueKind.Object)
                    {
                        code = StringMember(root, "__type") ?? StringMember(root, "code");
                        message = StringMember(root, "message") ?? StringMember(root, "Message");
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (moto answers HTML 500 for operations it lacks): fall back to the status.
            }
            code ??= context.ResponseData.GetHeaderValue("x-amzn-ErrorType");
            code = NormalizeCode(code) ?? (statusCode >= HttpStatusCode.InternalServerError ? "InternalFailure" : "UnknownError");
            message ??= $"{(int)statusCode} {statusCode}";
            var type = (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
            return new AmazonServiceException(message, innerException, type, code, null, statusCode);
        }

        /// <summary>"aws.protocoltests#ValidationException" or "ValidationException:http://…" → "ValidationException".</summary>
        internal static string? NormalizeCode(string? code)
        {
            if (string.IsNullOrEmpty(code))
                return null;
            var c = code!;
            var colon = c.IndexOf(':');
            if (colon >= 0) c = c.Substring(0, colon);
            var hash = c.LastIndexOf('#');
            if (hash >= 0) c = c.Substring(hash + 1);
            c = c.Trim();
            return c.Length == 0 ? null : c;
        }

        private static string? StringMember(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static JsonElement Parse(byte[] bytes)
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }

        private static bool IsBlank(byte[] bytes)
        {
            foreach (var b in bytes)
                if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t')
                    return false;
            return true;
        }

        private static byte[] ReadAll(Stream? stream)
        {
            if (stream is null)
                return Array.Empty<byte>();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    /// <summary>
    /// The SageMaker service client on AWSSDK.Core's pipeline (credentials, SigV4, retry, endpoint).
    /// All operations go through <see cref="InvokeAsync"/>: add an operation by writing its body.
    /// </summary>
    internal sealed class SageMakerClient : AmazonServiceClient
    {
        private static readonly SageMakerServiceMetadata Metadata = new SageMakerServiceMetadata();

        public SageMakerClient(AWSCredentials? credentials, SageMakerClientConfig config)
            : base(credentials, config)
        {
        }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        public new SageMakerClientConfig Config => (SageMakerClientConfig)base.Config;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            // Our resolver maps the parameters; the auth handler runs after it. (The toolchain notes saw a
            // NullReferenceException in BaseAuthResolverHandler.PreInvoke with the reverse order; not
            // reproduced with this configuration, but this order needs nothing the resolver has not set.)
            pipeline.RemoveHandler<EndpointResolver>();
            pipeline.AddHandlerAfter<Marshaller>(new SageMakerEndpointResolver());
            pipeline.AddHandlerAfter<SageMakerEndpointResolver>(new SageMakerAuthSchemeHandler());
            // Inside the retry handler, so it sees every attempt (for -Verbose's retry count).
            pipeline.AddHandlerBefore<Signer>(new AttemptCounter());
        }

        /// <summary>Calls <paramref name="call"/>'s operation with the body its writer produces,
        /// and returns the reply (JSON body and request id). Throws the SDK's exceptions; callers map them in
        /// one place. <paramref name="call"/> counts how often the request was sent, retries included.</summary>
        public async Task<SageMakerReply> InvokeAsync(SageMakerCall call, CancellationToken ct)
        {
            var options = new InvokeOptions
            {
                RequestMarshaller = SageMakerCallMarshaller.Instance,
                ResponseUnmarshaller = SageMakerReplyUnmarshaller.Instance,
            };
            return await InvokeAsync<SageMakerReply>(call, options, ct).ConfigureAwait(false);
        }
    }
}
