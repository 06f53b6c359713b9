using System.Management.Automation;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Cmdlets.Jobs;

/// <summary>Lets -OlderThan take 90d, 12h, 30m or 45s as well as a TimeSpan, the way administrators write retention.</summary>
internal sealed class RetentionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                TimeSpan span when span >= TimeSpan.Zero => span,
                string text => Retention.Parse(text),
                _ => value,
            };
        }
        catch (BatchShipException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
