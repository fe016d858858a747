@testable import BindraceTrace
import Testing

@Suite struct JSONValueErrorTests {
    /// Prints as the given text, as the parser's errors print as their dumps.
    struct Printed: Error, CustomStringConvertible {
        var description: String
    }

    @Test func knownCasesAreReadFromTheirDump() {
        #expect(JSONValueError.describe(Printed(description: #"unexpectedEndOfFile"#)) == "the text ends inside a value")
        #expect(JSONValueError.describe(Printed(description:
            #"unexpectedCharacter(context: Optional("in object"), ascii: 0, location: X.SourceLocation(line: 1, column: 7, index: 6))"#))
            == "unexpected byte 0x00 in object at column 7")
        #expect(JSONValueError.describe(Printed(description: #"numberIsNotRepresentableInSwift(parsed: "1e400")"#), expecting: "a 32-bit integer")
            == "1e400 is not a 32-bit integer")
        #expect(JSONValueError.describe(Printed(description: #"numberIsNotRepresentableInSwift(parsed: "1.5")"#)) == "1.5 does not fit")
        let long = String(repeating: "9", count: 5000)
        #expect(JSONValueError.describe(Printed(description: "numberIsNotRepresentableInSwift(parsed: \"\(long)\")"))
            == String(repeating: "9", count: 40) + "… does not fit")
        #expect(JSONValueError.describe(Printed(description: "cannotConvertInputStringDataToUTF8(location: X(line: 1, column: 9, index: 8))"))
            == "not UTF-8 at column 9")
    }

    @Test func unknownCasesAreNamedInWords() {
        #expect(JSONValueError.describe(Printed(description: "tooManyNestedArraysOrDictionaries(location: X(line: 1, column: 3, index: 2))"))
            == "too many nested arrays or dictionaries at column 3")
    }

    @Test func otherTextIsLeftAsItIs() {
        #expect(JSONValueError.describe(Printed(description: "The data couldn't be read.")) == "The data couldn't be read.")
        #expect(JSONValueError.describe(Printed(description: "missing vendor")) == "missing vendor")
        #expect(JSONValueError.describe(Printed(description: "")) == "")
    }
}
