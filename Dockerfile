# One image for the three services (and the all-in-one JVM): which service runs is configuration only,
# SPRING_PROFILES_ACTIVE (see docker-compose.yml). Built from this repository: docker build -t checkout-saga .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -pl checkout-app -am package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/checkout-app/target/checkout-app-*.jar /app/checkout-app.jar
# G1 keeps its own pause goal (docs/design.md #38); the heap may take three quarters of the container's memory.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Daxoniq.update-checker.disabled=true" \
    CHECKOUT_DATA_DIR=/data
VOLUME /data
EXPOSE 8080 8081 8082
ENTRYPOINT ["java", "-jar", "/app/checkout-app.jar"]
