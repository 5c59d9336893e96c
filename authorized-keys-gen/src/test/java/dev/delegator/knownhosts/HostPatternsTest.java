package dev.delegator.knownhosts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * OpenSSH's pattern rules, case by case as openssh-portable's match.c (match_pattern,
 * match_pattern_list, match_hostname) and hostfile.c decide them.
 */
class HostPatternsTest {
    @ParameterizedTest(name = "match_pattern({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', value = {
            "web1.example.org|web1.example.org|true",
            "web1.example.org|*.example.org|true",
            "example.org|*.example.org|false",        // '*' needs the dot before it
            "a.b.example.org|*.example.org|true",     // '*' spans dots
            "web1.example.org|web?.example.org|true",
            "web10.example.org|web?.example.org|false",
            "web.example.org|web?.example.org|false", // '?' is exactly one character
            "anything|*|true",
            "''|*|true",
            "''|''|true",
            "x|''|false",
            "Web1.example.org|web1.example.org|false", // match_pattern itself is case-sensitive
            "web1.example.org|web1.example.or|false",   // the whole string
            "web1.example.org|**.example.org|true",
            "[a]|[a]|true",                            // brackets are literal: no character classes
            "a|[a]|false",
            "10.0.0.7|10.0.0.*|true",
            "10.0.0.7|10.0.*.?|true",
            "10.0.1.17|10.0.*.?|false",
    })
    void matchPattern(String s, String pattern, boolean expected) {
        assertEquals(expected, HostPatterns.matchPattern(s, pattern));
    }

    @ParameterizedTest(name = "match_hostname({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', value = {
            "web1.example.org|*.example.org|1",
            "web1.example.org|'*.example.org,!web1.example.org'|-1",  // a matching negation wins
            "web1.example.org|'!web1.example.org,*.example.org'|-1",  // wherever it stands
            "web2.example.org|'*.example.org,!web1.example.org'|1",
            "web2.example.org|'!web1.example.org'|0",                   // only negations never match
            "web1.example.org|'other.org,web1.example.org'|1",
            "WEB1.Example.ORG|*.example.org|1",                         // host and patterns lower-cased
            "web1.example.org|*.EXAMPLE.org|1",
            "web1.example.org|''|0",
            "web1.example.org|'*.example.org,'|1",                       // an empty entry matches nothing
    })
    void matchHostname(String host, String patterns, int expected) {
        assertEquals(expected, HostPatterns.matchHostname(host, patterns));
    }

    @ParameterizedTest(name = "{0}:{1} in {2} = {3}")
    @CsvSource(delimiter = '|', value = {
            "web1.example.org|22|*.example.org|true",
            "web1.example.org|2222|*.example.org|false",              // ssh looks up [web1.example.org]:2222
            "web1.example.org|2222|[*.example.org]:*|true",
            "web1.example.org|2222|[*.example.org]:2222|true",
            "web1.example.org|2222|[*.example.org]:22|false",
            "web1.example.org|22|[*.example.org]:*|false",            // port 22 is looked up as the bare name
            "127.0.0.1|2222|'*,![127.0.0.1]:*'|false",
            "127.0.0.2|2222|'*,![127.0.0.1]:*'|true",
            "2001:db8::1|2222|[2001:db8::*]:2222|true",
            "2001:db8::1|22|2001:db8::*|true",
    })
    void knownHostsLookup(String host, int port, String field, boolean expected) {
        assertEquals(expected, HostPatterns.knownHostsMatch(new HostPort(host, port), field));
    }

    @ParameterizedTest(name = "a {0}-character entry never matches")
    @CsvSource({"1023,1", "1024,0"})
    void aTooLongEntryNeverMatches(int length, int expected) {
        String s = "a".repeat(length);
        assertEquals(expected, HostPatterns.matchList(s, s, false));
    }
}
