/*
 * common_passwords.c - passwords refused because they are among the most
 * common ones (auth.c compares case-insensitively, after the minimum
 * length check, so only entries of GK_PASSWORD_MIN or more characters
 * matter here).
 *
 * Source: written by hand from the entries of 10+ characters that head
 * the public frequency lists of leaked passwords - Daniel Miessler's
 * SecLists "10-million-password-list-top-10000" and the published
 * analyses of the 2011 CSDN and 178.com leaks (the most common Chinese
 * choices: number runs, keyboard walks, 5201314/woaini variants).  It is
 * a small first line, not a breach corpus: an office that needs more
 * replaces this file with a longer list of the same form.
 */
#include <stddef.h>

const char *const gk_common_passwords[] = {
    "1234567890",     "0123456789",   "12345678910",    "123456789a",
    "a123456789",     "1234567890a",  "qwertyuiop",     "qwertyuiop123",
    "1qaz2wsx3edc",   "1q2w3e4r5t",   "1q2w3e4r5t6y",   "q1w2e3r4t5",
    "q1w2e3r4t5y6",   "zaq12wsxcde3", "zxcvbnm123",     "asdfghjkl1",
    "asdfghjkl;",     "0987654321",   "9876543210",     "1111111111",
    "0000000000",     "8888888888",   "6666666666",     "1234512345",
    "1234554321",     "1122334455",   "1212121212",     "1231231234",
    "11223344556",    "147258369a",   "1472583690",     "passw0rd123",
    "password12",     "password123",  "password1234",   "password!",
    "Password1",      "Password123",  "password01",     "iloveyou12",
    "iloveyou123",    "woaini1314",   "woaini5201314",  "5201314520",
    "52013145201314", "1314520520",   "aa123456789",    "abc1234567",
    "abcd123456",     "abcdefghij",   "abcdefg123",     "administrator",
    "admin12345",     "admin123456",  "administrator1", "qazwsxedcrfv",
    "qazwsx123456",   "1qazxsw23edc", "trustno1234",    "football123",
    "baseball123",    "superman123",  "starwars123",    "sunshine123",
    "princess123",    "welcome123",   "welcome1234",    "letmein123",
    "changeme123",    "gongkai123",   "gongkai2024",    "zhengfu123",
    "zhengfu2024",    "xinxigongkai", "gongkai12345",   "woaizhongguo",
    "zhongguo123",    "a1234567890",  "aaaaaaaaaa",     "qwerty123456",
    "qwe123456789",   "123qweasdzxc", "qweasdzxc123",   NULL};
