Console.WriteLine("scratchnet");
