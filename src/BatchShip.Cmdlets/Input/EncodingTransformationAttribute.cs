using System.Management.Automation;
using System.Text;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Input;

namespace BatchShip.Cmdlets.Input;

/// <summary>Lets -Encoding take what Import-Csv -Encoding takes: a name (utf8, unicode, latin1...), a code page
/// number (1252) or an Encoding object. PowerShell's own transformation is not public, so this one follows it.</summary>
internal sealed class EncodingTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                Encoding encoding => encoding,
                string text => TextEncodings.Parse(text),
                int codePage => TextEncodings.Parse(codePage.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => value,
            };
        }
        catch (BatchShipException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
