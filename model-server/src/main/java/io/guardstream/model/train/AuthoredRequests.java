package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests written for this project to fill gaps in the guard corpus, expanded from the frames and topics of a class
 * path resource (format in the resource's header): every frame of a section with every topic of that section.
 */
public enum AuthoredRequests {

    /**
     * Harmless requests about sensitive subjects (history, prevention, health, support, fiction, policy). The corpus
     * pairs these subjects almost only with harmful intent, so without them an encoder learns to flag the topic.
     */
    BENIGN_SENSITIVE("benign-sensitive.txt", "guardstream-benign-sensitive", false),

    /**
     * Harmful requests in the phrasings of the corpus's benign Alpaca tasks ("Give me a recipe for...", "List five...",
     * "Write a tutorial on..."), so the phrasing alone is no evidence of a benign request.
     */
    HARMFUL_PLAIN("harmful-plain.txt", "guardstream-harmful-plain", true),

    /**
     * Non-hateful statements naming groups of people: counter-speech quoting or rejecting hate, positive and neutral
     * statements, negated stereotypes, profanity at things. The corpus names groups almost only in hate.
     */
    BENIGN_IDENTITY("benign-identity.txt", "guardstream-benign-identity", false),

    /** Hateful statements in the words the counter-speech of {@link #BENIGN_IDENTITY} quotes, so stance decides. */
    HATEFUL_IDENTITY("hateful-identity.txt", "guardstream-hateful-identity", true),

    /** Hate phrased as a negation, as a question or by implication: the forms the identity sets taught it to pass. */
    HATEFUL_FORMS("hateful-forms.txt", "guardstream-hateful-forms", true),

    /** Profanity that targets no one (joy, frustration, emphasis): the corpus swears almost only while insulting. */
    BENIGN_PROFANITY("benign-profanity.txt", "guardstream-benign-profanity", false),

    /**
     * Requests that name harm without asking for the means: fiction in which characters do wrong, code for the user's
     * own machine, history of violence, fringe views to discuss, lawful routes to restricted things.
     */
    BENIGN_BORDERLINE("benign-borderline.txt", "guardstream-benign-borderline", false),

    /** The wrappers of {@link #BENIGN_BORDERLINE} asking for operational detail, or code aimed at others' machines. */
    HARMFUL_WRAPPED("harmful-wrapped.txt", "guardstream-harmful-wrapped", true),

    /**
     * Everyday harm asked in first person with a role or a situation and a wish not to be found out (fire and property,
     * nature, animals, children, illness and sabotage, discrimination, deceiving customers, hate propaganda, self-harm).
     */
    HARMFUL_SITUATED("harmful-situated.txt", "guardstream-harmful-situated", true),

    /** The frames and roles of {@link #HARMFUL_SITUATED} with legitimate goals, so only the goal decides. */
    BENIGN_SITUATED("benign-situated.txt", "guardstream-benign-situated", false),

    /**
     * Statements a moderation API flags without their asking for anything: disclosed intent to end one's life or to
     * self-harm, threats against a person or a place, wishes of harm at someone, gore told with relish. The corpus's
     * few suicidal disclosures are labelled harmless or not at all.
     */
    HARMFUL_DISCLOSED("harmful-disclosed.txt", "guardstream-harmful-disclosed", true),

    /**
     * The words of {@link #HARMFUL_DISCLOSED} without intent or relish: sadness, helping someone else, recovery,
     * hyperbole, anger without a threat, violence reported as news or history.
     */
    BENIGN_DISCLOSED("benign-disclosed.txt", "guardstream-benign-disclosed", false),

    /**
     * Announced attacks on a crowd or a public place (shooting, ramming, arson, a bomb). {@link #HARMFUL_DISCLOSED}'s
     * threats are mostly at one person; with one attack on a crowd among them, the guard passed such announcements.
     */
    HARMFUL_ANNOUNCED("harmful-announced.txt", "guardstream-harmful-announced", true),

    /** Plans for the places, days and vehicles of {@link #HARMFUL_ANNOUNCED}, and violent-sounding idioms about them. */
    BENIGN_OUTINGS("benign-outings.txt", "guardstream-benign-outings", false),

    /**
     * Requests for graphic content: explicit sexual content between adults (erotica, role-play, porn), sexual content
     * about a real person, gore to be written with relish. The corpus has few outside jailbreak templates.
     */
    HARMFUL_GRAPHIC("harmful-graphic.txt", "guardstream-harmful-graphic", true),

    /**
     * Sex education, sexual health, relationships, romance without explicit detail, sexual identity and the history
     * and law of sexuality: the subjects of {@link #HARMFUL_GRAPHIC} without explicitness.
     */
    BENIGN_INTIMACY("benign-intimacy.txt", "guardstream-benign-intimacy", false),

    /** Violent words used figuratively or technically: hyperbole, "kill a process", games, sports, cooking. */
    BENIGN_FIGURATIVE("benign-figurative.txt", "guardstream-benign-figurative", false),

    /**
     * The everyday frames of {@link #BENIGN_FIGURATIVE} ("How do I ... in my kitchen?") asking for drugs, poisons and
     * violence, meant literally. Without them the frames themselves became evidence of harmlessness.
     */
    HARMFUL_LITERAL("harmful-literal.txt", "guardstream-harmful-literal", true),

    /**
     * Harmless and harmful requests in the same frames about the same subjects (a kitchen, a relative in crisis, a
     * coworker, a scene to write, an account to get into), written side by side so that neither the frame nor the
     * subject but what is asked for decides. One-sided sets in everyday frames taught the frames themselves.
     */
    PAIRED_INTENT("paired-intent.txt", "guardstream-paired-intent", null),

    /**
     * Pairs like {@link #PAIRED_INTENT}'s in short, lower-case and slangy wordings ("how to cook crack" beside "how to
     * cook quinoa"), and descriptions of how a harm happens or is caught beside requests to commit it.
     */
    PAIRED_WORDINGS("paired-wordings.txt", "guardstream-paired-wordings", null),

    /**
     * Harmless and harmful tasks in the same long role-play and fiction wrappers (a novel's chapter, a game quest, a
     * persona that never refuses, a world without rules): a harmful task asks for operational detail or the harmful
     * text itself, a harmless one depicts the same subject without them. The guard had learnt the wrappers.
     */
    PAIRED_ROLEPLAY("paired-roleplay.txt", "guardstream-paired-roleplay", null),

    /**
     * Questions about how a harm happened, is investigated or is handled lawfully (history, analysis, legal routes)
     * beside requests for the means to cause the same harm now, in the same explanatory frames. The guard flagged the
     * former as if they asked for the harm.
     */
    PAIRED_INQUIRY("paired-inquiry.txt", "guardstream-paired-inquiry", null),

    /**
     * The same question with a harmless and with a harmful motive in the sentence after it. The guard scored such
     * requests by the question and passed them when the harm was only in the stated motive.
     */
    PAIRED_MOTIVE("paired-motive.txt", "guardstream-paired-motive", null),

    /**
     * Harmful requests in the technique's own words, without a victim or a crime word: malicious software by what it
     * does (hiding from the user, spreading by itself, evading antivirus), web attacks, exploits, stalkerware, the
     * grooming of a child, and the synthesis, culture, enhancement or conversion of weapons and drugs; beside harmless
     * requests in the same words (one's own systems, defence, child safety, history, treatment, law). The guard had
     * learnt the victim and crime words instead.
     */
    PAIRED_TECHNICAL("paired-technical.txt", "guardstream-paired-technical", null),

    /**
     * Physical hazards asked for plainly, beside harmless requests in the same words: arson beside fire safety,
     * sabotaged safety systems beside their testing, explosives beside blasting safety and law, endangered aircraft and
     * trains beside legal flying, improvised firearms beside gun law, and lies to a doctor for a controlled drug beside
     * honest talk about pain. Extra adapter epochs kept losing such plain requests.
     */
    PAIRED_HAZARDS("paired-hazards.txt", "guardstream-paired-hazards", null),

    /**
     * Attacks on crowds announced with the verbs of ordinary plans ("driving into the crowd at the finish line"),
     * beside harmless plans in the same words; the announced-attack set names vehicle attacks only with violent verbs.
     */
    PAIRED_ANNOUNCEMENTS("paired-announcements.txt", "guardstream-paired-announcements", null),

    /**
     * Everyday phrasal verbs that also name harm ("bring down my blood pressure" beside "bring down a passenger jet"):
     * the guard had learnt the verb, flagging a fever question and passing the wiping out of a village.
     */
    PAIRED_IDIOMS("paired-idioms.txt", "guardstream-paired-idioms", null),

    /**
     * Malicious software and attack tools asked for by name in short artifact frames ("Write a keylogger."), beside
     * defensive tools in the same frames and harmless questions naming the attack tools: the guard read such requests
     * as the corpus's harmless "Write a poem." tasks.
     */
    PAIRED_NAMED("paired-named.txt", "guardstream-paired-named", null),

    /**
     * Fraud and defamation asked for as short artifacts ("Write a phishing email that looks like it comes from
     * PayPal."), beside honest texts of the same kind in the same frames: the guard read them as harmless writing tasks.
     */
    PAIRED_ARTIFACTS("paired-artifacts.txt", "guardstream-paired-artifacts", null);

    private final String resource;
    private final String source;
    private final Boolean harmful;

    /** {@code harmful} labels the {@code topics:} lines; null for a set whose topics are all labelled in the file. */
    AuthoredRequests(String resource, String source, Boolean harmful) {
        this.resource = resource;
        this.source = source;
        this.harmful = harmful;
    }

    /** The {@code TrainMain} flag that adds this set: its resource's name, e.g. {@code --benign-sensitive}. */
    public String flag() {
        return TrainResources.flag(resource);
    }

    /** The set {@code flag} adds, or null when it names none. */
    static AuthoredRequests byFlag(String flag) {
        for (AuthoredRequests set : values()) {
            if (set.flag().equals(flag)) {
                return set;
            }
        }
        return null;
    }

    /** The {@code source} of the records, for {@code --source-weight}. */
    public String source() {
        return source;
    }

    /** The expanded resource, in file order, each prompt once. */
    public List<GuardRecord> load() {
        return expand(TrainResources.read(resource));
    }

    /**
     * Every frame of a section with every topic of that section, labelled with the category {@code section:<name>}
     * and the prompt label of the topic's line: {@code topics:} carries this set's label, {@code benign:} and
     * {@code harmful:} their own. A frame without {@code {topic}} or without topics above it is refused, as are
     * {@code topics:} in a set without a label and a prompt that comes out with both labels. A frame that starts with
     * {@code {topic}} starts with a capital letter once filled.
     */
    List<GuardRecord> expand(String text) {
        Map<String, Labelled> byPrompt = new LinkedHashMap<>();
        String section = null;
        List<Topic> topics = new ArrayList<>();
        boolean framesSeen = false;
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String header = TrainResources.sectionName(line);
            Boolean label = topicLabel(line, lineNo);
            if (header != null) {
                section = header;
                topics = new ArrayList<>();
                framesSeen = false;
            } else if (label != null) {
                if (framesSeen) { // a topic line after frames starts a new group of the same section
                    topics = new ArrayList<>();
                    framesSeen = false;
                }
                for (String t : line.substring(line.indexOf(':') + 1).split(";")) {
                    if (!t.isBlank()) {
                        topics.add(new Topic(t.strip(), label));
                    }
                }
            } else {
                if (section == null || topics.isEmpty() || !line.contains("{topic}")) {
                    throw new IllegalArgumentException(resource + " line " + lineNo
                            + ": a frame needs a section with topics above it and a {topic} placeholder: " + line);
                }
                framesSeen = true;
                boolean capitalize = line.startsWith("{topic}");
                for (Topic topic : topics) {
                    String filled = line.replace("{topic}", topic.text());
                    if (capitalize) {
                        filled = Character.toUpperCase(filled.charAt(0)) + filled.substring(1);
                    }
                    Labelled before = byPrompt.putIfAbsent(filled, new Labelled(section, topic.harmful()));
                    if (before != null && before.harmful() != topic.harmful()) {
                        throw new IllegalArgumentException(resource + " line " + lineNo
                                + ": the same prompt is written harmful and harmless: " + filled);
                    }
                }
            }
        }
        List<GuardRecord> out = new ArrayList<>(byPrompt.size());
        byPrompt.forEach((prompt, l) -> out.add(new GuardRecord(source + "-" + out.size(), source, prompt,
                null, l.harmful(), null, null, List.of("section:" + l.section()))));
        return out;
    }

    /** The label of a topic line ({@code topics:}, {@code benign:}, {@code harmful:}), or null for other lines. */
    private Boolean topicLabel(String line, int lineNo) {
        if (line.startsWith("benign:")) {
            return false;
        }
        if (line.startsWith("harmful:")) {
            return true;
        }
        if (!line.startsWith("topics:")) {
            return null;
        }
        if (harmful == null) {
            throw new IllegalArgumentException(resource + " line " + lineNo
                    + ": this set labels each topic line: write benign: or harmful:, not topics:");
        }
        return harmful;
    }

    private record Topic(String text, boolean harmful) {
    }

    private record Labelled(String section, boolean harmful) {
    }
}
