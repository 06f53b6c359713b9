using System.Globalization;
using System.Management.Automation;
using BatchShip.Engine.Sandbox;

namespace BatchShip.Cmdlets.Testing;

/// <summary>
/// Lets -Latency take the sandbox's own duration text (150ms, 1s), a TimeSpan, or a number of milliseconds; the
/// sandbox judges the text.
/// </summary>
internal sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null => null,
            TimeSpan span => SandboxEnvironment.Duration(span),
            int or long or short or byte => string.Create(CultureInfo.InvariantCulture, $"{value}ms"),
            double or float or decimal => SandboxEnvironment.Duration(TimeSpan.FromMilliseconds(Convert.ToDouble(value, CultureInfo.InvariantCulture))),
            _ => value.ToString(),
        };
    }
}
