package lab.sockets.check;

/**
 * What a case asks of a program. Required: what the slides' own fragments do, so the slides' programs pass
 * every required case. Robust: what a program fit for a whole class also does; failing one is a warning,
 * and a failure with {@code --strict}.
 */
public enum Kind {
    REQUIRED, ROBUST;

    public String label() {
        return this == REQUIRED ? "required" : "robust";
    }
}
