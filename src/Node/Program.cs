// Placeholder entry point; the host is built in issue 2.
return 0;
