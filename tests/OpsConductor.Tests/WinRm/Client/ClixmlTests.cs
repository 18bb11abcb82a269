using OpsConductor.Remoting.WinRm;

namespace OpsConductor.Tests.WinRm.Client;

public sealed class ClixmlTests
{
    // The shape powershell.exe writes to a redirected stderr (as pywinrm's and pypsrp's tests record it).
    const string ErrorRecord =
        "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">" +
        "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>" +
        "<S S=\"Error\">Write-Error 'bad &amp; worse' : bad &amp; worse_x000D__x000A_</S>" +
        "<S S=\"Error\">    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException_x000D__x000A_</S>" +
        "</Objs>";

    [Fact]
    public void Error_strings_are_joined_and_unescaped_and_progress_is_dropped()
    {
        var text = Clixml.Decode(ErrorRecord);

        Assert.Equal("Write-Error 'bad & worse' : bad & worse\n    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n", text);
    }

    [Fact]
    public void Text_before_and_after_the_document_is_kept()
    {
        Assert.Equal("native error\nWarn me_x\ntail", Clixml.Decode("native error\n#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><S S=\"Warning\">Warn me_x_x000D__x000A_</S></Objs>\r\ntail"));
    }

    [Fact]
    public void Only_progress_records_decode_to_nothing()
    {
        Assert.Equal("", Clixml.Decode("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><Obj S=\"progress\" RefId=\"0\"><MS><I64 N=\"SourceId\">1</I64></MS></Obj></Objs>"));
    }

    [Theory]
    [InlineData("plain stderr text\r\n")]
    [InlineData("")]
    [InlineData("#< CLIXML\r\n<Objs broken")]
    [InlineData("a _x000D_ that is not CLIXML")]
    public void Other_text_is_left_unchanged(string text)
    {
        Assert.Equal(text, Clixml.Decode(text));
    }

    [Fact]
    public void Unescape_decodes_control_characters_and_non_bmp()
    {
        Assert.Equal("a\tb\u001bc", Clixml.Unescape("a_x0009_b_x001B_c"));
    }
}
