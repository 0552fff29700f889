using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using ScratchNet.Nn.Experiments;
using ScratchNet.Tensors;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serve;

/// <summary>
/// The pages in a real headless Chromium (Debian's, through ChromeDriver and Selenium): choose a sky photo and a
/// non-sky photo on the try page and read what a person sees — the label and probability, the AQI and its band, and
/// "not a sky photo: no aqi" — against the API's answer for the same files; the runs list; a run page with its
/// curves drawn. Screenshots go to <c>serve-screenshots/</c> in the test output folder (the README's come from here).
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeBrowserTests(ServeFixture serve, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string ScreenshotDir()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "serve-screenshots");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private void Screenshot(IWebDriver driver, string name)
    {
        string path = Path.Combine(ScreenshotDir(), name);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot: {path}");
    }

    // The first image of a folder the trained model puts in class `label`: the page's when rule is what is tested,
    // whatever the small model's accuracy.
    private string ImagePredictedAs(string folder, string label)
    {
        using var predictor = new TaskPredictor(serve.Checkpoint, Device.Cpu);
        foreach (var file in Directory.GetFiles(Path.Combine(serve.DataDir, folder)).Order(StringComparer.Ordinal))
            if (predictor.Predict(file).Tasks?["is_sky"].Label == label) return file;
        throw new InvalidOperationException($"the test model calls no image in {folder}/ '{label}'");
    }

    private async Task<JsonNode> ApiAnswer(string file) =>
        JsonNode.Parse(await (await serve.PostImage(File.ReadAllBytes(file), Path.GetFileName(file))).Content.ReadAsStringAsync())!;

    [Fact]
    public async Task ChoosingASkyAndANonSkyPhotoShowsTheAnswersTheApiGives()
    {
        string sky = ImagePredictedAs("sky", "sky"), notSky = ImagePredictedAs("negatives", "not_sky");
        var skyAnswer = (await ApiAnswer(sky))["tasks"]!;
        using var driver = Chromium.Start();
        var wait = new WebDriverWait(driver, Patience);

        driver.Navigate().GoToUrl(serve.BaseUrl + "/");
        wait.Until(d => d.FindElements(By.CssSelector("#model option")).Count > 0);
        Assert.Equal("sky", driver.FindElement(By.Id("model")).GetAttribute("value"));
        Assert.Contains("is_sky (classification)", driver.FindElement(By.Id("model-tasks")).Text);
        Assert.Contains("is_sky accuracy", wait.Until(d => d.FindElement(By.CssSelector("#runs-table tr[data-run='sky']"))).Text);

        // A sky photo: its label and probability as the API says, the AQI value and its EPA band.
        driver.FindElement(By.Id("files")).SendKeys(sky);
        var card = wait.Until(d => d.FindElements(By.CssSelector(".result.done")).FirstOrDefault());
        Assert.Equal(Path.GetFileName(sky), card.FindElement(By.CssSelector("h4")).Text);
        var isSky = card.FindElement(By.CssSelector("[data-task='is_sky']"));
        Assert.Equal("sky", isSky.FindElement(By.CssSelector(".label")).Text);
        string prob = isSky.FindElement(By.CssSelector(".prob")).Text;
        Assert.Matches(@"^p [01]\.\d{3}$", prob);
        Assert.Equal(skyAnswer["is_sky"]!["probability"]!.GetValue<double>(), double.Parse(prob[2..], System.Globalization.CultureInfo.InvariantCulture), 0.00051);
        Assert.Equal(2, isSky.FindElements(By.CssSelector(".bar")).Count);
        var aqi = card.FindElement(By.CssSelector("[data-task='aqi']"));
        double shown = double.Parse(aqi.FindElement(By.CssSelector(".value")).Text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(skyAnswer["aqi"]!["value"]!.GetValue<double>(), shown, 0.05 * Math.Max(1, Math.Abs(shown)));
        Assert.Equal(skyAnswer["aqi"]!["band"]!.GetValue<string>(), aqi.FindElement(By.CssSelector(".band")).Text);
        Assert.True((bool)((IJavaScriptExecutor)driver).ExecuteScript("const i = document.querySelector('.result img'); return i.complete && i.naturalWidth > 0;")!);
        Screenshot(driver, "try-sky.png");

        // A photo that is not a sky: no AQI, and the page says why.
        driver.FindElement(By.Id("files")).SendKeys(notSky);
        wait.Until(d => d.FindElements(By.CssSelector(".result.done")).Count == 2);
        var second = driver.FindElements(By.CssSelector(".result.done"))[0];   // newest first
        Assert.Equal(Path.GetFileName(notSky), second.FindElement(By.CssSelector("h4")).Text);
        Assert.Equal("not_sky", second.FindElement(By.CssSelector("[data-task='is_sky'] .label")).Text);
        var withheld = second.FindElement(By.CssSelector("[data-task='aqi']"));
        Assert.Contains("not a sky photo: no aqi", withheld.FindElement(By.CssSelector(".na")).Text);
        Assert.Empty(withheld.FindElements(By.CssSelector(".value")));
        Screenshot(driver, "try-not-sky.png");

        // Dropped rather than chosen: a file dragged onto the drop zone goes the same way (the drop event is built
        // in the page with the file from a scratch input, as a drag from the desktop would deliver it).
        var js = (IJavaScriptExecutor)driver;
        var scratch = (IWebElement)js.ExecuteScript("const i = document.createElement('input'); i.type = 'file'; i.id = 'scratch'; document.body.append(i); return i;")!;
        scratch.SendKeys(sky);
        js.ExecuteScript("const dt = new DataTransfer(); dt.items.add(document.getElementById('scratch').files[0]);" +
            "document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));");
        wait.Until(d => d.FindElements(By.CssSelector(".result.done")).Count == 3);
        var dropped = driver.FindElements(By.CssSelector(".result.done"))[0];
        Assert.Equal(Path.GetFileName(sky), dropped.FindElement(By.CssSelector("h4")).Text);
        Assert.Equal(skyAnswer["aqi"]!["band"]!.GetValue<string>(), dropped.FindElement(By.CssSelector("[data-task='aqi'] .band")).Text);

        // Not an image: the server's words, on the page.
        string text = Path.Combine(serve.Root, "notes.png");
        File.WriteAllText(text, "not a picture");
        driver.FindElement(By.Id("files")).SendKeys(text);
        wait.Until(d => d.FindElements(By.CssSelector(".result.done")).Count == 4);
        Assert.Contains("'notes.png' is not an image", driver.FindElements(By.CssSelector(".result.done"))[0].FindElement(By.CssSelector(".error")).Text);
    }

    [Fact]
    public void TheRunPageShowsItsMetricsLogAndCurves()
    {
        using var driver = Chromium.Start(1280, 1600);
        var wait = new WebDriverWait(driver, Patience);
        driver.Navigate().GoToUrl(serve.BaseUrl + "/");
        wait.Until(d => d.FindElement(By.CssSelector("#runs-table tr[data-run='sky'] a"))).Click();
        wait.Until(d => d.Url.EndsWith("/run?name=sky", StringComparison.Ordinal));

        wait.Until(d => d.FindElements(By.CssSelector("table[data-split='test'] tbody tr")).Count > 0);
        Assert.Equal("Run sky", driver.FindElement(By.Id("run-name")).Text);
        Assert.Matches(@"best epoch \d+ · \d+ epochs logged", driver.FindElement(By.Id("run-summary")).Text);
        var test = driver.FindElement(By.CssSelector("table[data-split='test']")).Text;
        Assert.Contains("accuracy", test);
        Assert.Contains("regression.mae", test);
        Assert.Equal(File.ReadAllLines(Path.Combine(serve.RunDir, "log.csv")).Length - 1, driver.FindElements(By.CssSelector("#log-table tbody tr")).Count);
        Assert.Contains("\"name\": \"sky\"", driver.FindElement(By.Id("config")).Text);
        // The curves image loaded (not a broken image).
        var curves = wait.Until(d => d.FindElement(By.CssSelector("#plots img[alt='curves.png']")));
        wait.Until(_ => (bool)((IJavaScriptExecutor)driver).ExecuteScript("return arguments[0].complete && arguments[0].naturalWidth > 100;", curves)!);
        Screenshot(driver, "run.png");

        // A run that does not exist: the page says so.
        driver.Navigate().GoToUrl(serve.BaseUrl + "/run?name=..%2F..%2Fetc");
        Assert.Contains("no run called", wait.Until(d => d.FindElement(By.Id("run-error")) is { Displayed: true } e ? e : null).Text);
    }
}
