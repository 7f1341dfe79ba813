global using Xunit;
global using ModelRegistry;
