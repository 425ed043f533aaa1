var i={version:"3.998.3"};

export { i };
